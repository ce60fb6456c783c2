-- CreateTable
CREATE TABLE "Customer" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "company" TEXT,
    "owner" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "data" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "Deal" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "amount" DECIMAL(18,2),
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "stage" TEXT NOT NULL DEFAULT 'qualification',
    "closeDate" DATE,
    "owner" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "data" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Deal_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "Case" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "assignee" TEXT,
    "description" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "data" JSONB NOT NULL DEFAULT '{}',
    "firstResponseDueAt" TIMESTAMP(3),
    "resolutionDueAt" TIMESTAMP(3),
    "firstRespondedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "Activity" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "customerId" TEXT,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "actorUserId" TEXT,
    "actorTokenId" TEXT,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Activity_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateIndex
CREATE INDEX "Customer_tenantId_createdAt_id_idx" ON "Customer"("tenantId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Customer_data_idx" ON "Customer" USING GIN ("data" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "Deal_tenantId_customerId_idx" ON "Deal"("tenantId", "customerId");

-- CreateIndex
CREATE INDEX "Deal_tenantId_createdAt_id_idx" ON "Deal"("tenantId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Deal_tenantId_closeDate_id_idx" ON "Deal"("tenantId", "closeDate", "id");

-- CreateIndex
CREATE INDEX "Deal_data_idx" ON "Deal" USING GIN ("data" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "Case_tenantId_customerId_idx" ON "Case"("tenantId", "customerId");

-- CreateIndex
CREATE INDEX "Case_tenantId_createdAt_id_idx" ON "Case"("tenantId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Case_tenantId_status_priority_idx" ON "Case"("tenantId", "status", "priority");

-- CreateIndex
CREATE INDEX "Case_data_idx" ON "Case" USING GIN ("data" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "Activity_tenantId_customerId_createdAt_idx" ON "Activity"("tenantId", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "Activity_tenantId_entity_recordId_createdAt_idx" ON "Activity"("tenantId", "entity", "recordId", "createdAt");

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_tenantId_customerId_fkey" FOREIGN KEY ("tenantId", "customerId") REFERENCES "Customer"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_tenantId_customerId_fkey" FOREIGN KEY ("tenantId", "customerId") REFERENCES "Customer"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Expression indexes Prisma cannot declare (docs/decisions/007-views-in-sql.md). Views run in SQL
-- (server/crm/view-query.ts) and sort built-in text fields by lower(column), and customer search and
-- the inbox matching senders look customers up by lower(email). The Prisma diff leaves expression
-- indexes alone, so later migrations will not drop these.
-- ---------------------------------------------------------------------------------------------

CREATE INDEX "Customer_tenantId_lower_name_id_idx" ON "Customer"("tenantId", lower("name"), "id");
CREATE INDEX "Customer_tenantId_lower_email_idx" ON "Customer"("tenantId", lower("email"));
CREATE INDEX "Deal_tenantId_lower_name_id_idx" ON "Deal"("tenantId", lower("name"), "id");
CREATE INDEX "Case_tenantId_lower_subject_id_idx" ON "Case"("tenantId", lower("subject"), "id");
