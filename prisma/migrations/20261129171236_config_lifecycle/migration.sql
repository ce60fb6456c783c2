-- CreateTable
CREATE TABLE "ConfigItem" (
    "tenantId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "draft" JSONB,
    "draftRevision" INTEGER NOT NULL DEFAULT 0,
    "deletedInDraft" BOOLEAN NOT NULL DEFAULT false,
    "published" JSONB,
    "publishedVersion" INTEGER,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConfigItem_pkey" PRIMARY KEY ("tenantId","namespace","entity","key")
);

-- CreateTable
CREATE TABLE "ConfigHead" (
    "tenantId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "ConfigHead_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "ConfigSnapshot" (
    "tenantId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "checksum" TEXT NOT NULL,
    "authorId" TEXT,
    "authorLabel" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "rollbackOf" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConfigSnapshot_pkey" PRIMARY KEY ("tenantId","version")
);

-- CreateTable
CREATE TABLE "ConfigItemVersion" (
    "tenantId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" JSONB,

    CONSTRAINT "ConfigItemVersion_pkey" PRIMARY KEY ("tenantId","namespace","entity","key","version")
);

-- CreateTable
CREATE TABLE "ConfigPublishLog" (
    "tenantId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actorUserId" TEXT,
    "actorTokenId" TEXT,
    "message" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "changedItems" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConfigPublishLog_pkey" PRIMARY KEY ("tenantId","version")
);

-- CreateIndex
CREATE INDEX "ConfigItemVersion_tenantId_version_idx" ON "ConfigItemVersion"("tenantId", "version");
