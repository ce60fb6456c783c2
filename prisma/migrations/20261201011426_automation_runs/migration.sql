-- CreateTable
CREATE TABLE "AutomationRun" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "automationKey" TEXT NOT NULL,
    "configVersion" INTEGER NOT NULL,
    "eventId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "entity" TEXT,
    "recordId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "matched" BOOLEAN NOT NULL DEFAULT false,
    "conditions" JSONB NOT NULL DEFAULT '[]',
    "steps" JSONB NOT NULL DEFAULT '[]',
    "chain" JSONB NOT NULL DEFAULT '[]',
    "causedByRunId" TEXT,
    "reason" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "AutomationRun_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "RoundRobinCursor" (
    "tenantId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RoundRobinCursor_pkey" PRIMARY KEY ("tenantId","role")
);

-- CreateTable
CREATE TABLE "ScheduleTick" (
    "tenantId" TEXT NOT NULL,
    "automationKey" TEXT NOT NULL,
    "tickAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScheduleTick_pkey" PRIMARY KEY ("tenantId","automationKey","tickAt")
);

-- CreateIndex
CREATE INDEX "AutomationRun_tenantId_startedAt_idx" ON "AutomationRun"("tenantId", "startedAt");

-- CreateIndex
CREATE INDEX "AutomationRun_tenantId_automationKey_startedAt_idx" ON "AutomationRun"("tenantId", "automationKey", "startedAt");

-- CreateIndex
CREATE INDEX "AutomationRun_tenantId_recordId_startedAt_idx" ON "AutomationRun"("tenantId", "recordId", "startedAt");

-- CreateIndex
CREATE INDEX "AutomationRun_tenantId_status_startedAt_idx" ON "AutomationRun"("tenantId", "status", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationRun_tenantId_eventId_automationKey_key" ON "AutomationRun"("tenantId", "eventId", "automationKey");

-- CreateIndex
CREATE INDEX "ScheduleTick_tenantId_createdAt_idx" ON "ScheduleTick"("tenantId", "createdAt");
