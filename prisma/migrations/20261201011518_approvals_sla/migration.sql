-- CreateTable
CREATE TABLE "CaseSla" (
    "tenantId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "policyKey" TEXT NOT NULL,
    "configVersion" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "firstResponseDueAt" TIMESTAMP(3) NOT NULL,
    "resolutionDueAt" TIMESTAMP(3) NOT NULL,
    "firstResponseWarnAt" TIMESTAMP(3) NOT NULL,
    "resolutionWarnAt" TIMESTAMP(3) NOT NULL,
    "firstRespondedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "firstResponseWarnedAt" TIMESTAMP(3),
    "resolutionWarnedAt" TIMESTAMP(3),
    "firstResponseBreachedAt" TIMESTAMP(3),
    "resolutionBreachedAt" TIMESTAMP(3),
    "nextTimerAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseSla_pkey" PRIMARY KEY ("tenantId","caseId")
);

-- CreateTable
CREATE TABLE "ApprovalRequest" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "ruleKey" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "configVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "step" INTEGER NOT NULL DEFAULT 0,
    "lockedFields" JSONB NOT NULL DEFAULT '[]',
    "submittedById" TEXT,
    "submittedBy" TEXT NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "ApprovalRequest_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "userId" TEXT,
    "actor" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalDecision_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateIndex
CREATE INDEX "CaseSla_nextTimerAt_idx" ON "CaseSla"("nextTimerAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_tenantId_entity_recordId_createdAt_idx" ON "ApprovalRequest"("tenantId", "entity", "recordId", "createdAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_tenantId_status_createdAt_id_idx" ON "ApprovalRequest"("tenantId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ApprovalDecision_tenantId_requestId_step_idx" ON "ApprovalDecision"("tenantId", "requestId", "step");

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_tenantId_requestId_fkey" FOREIGN KEY ("tenantId", "requestId") REFERENCES "ApprovalRequest"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One pending request per record and rule: a second matching change while one is pending does not
-- open another, whatever the concurrency (Prisma cannot express a partial unique index).
CREATE UNIQUE INDEX "ApprovalRequest_one_pending_key" ON "ApprovalRequest"("tenantId", "entity", "recordId", "ruleKey") WHERE "status" = 'pending';
