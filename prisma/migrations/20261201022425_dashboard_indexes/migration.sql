-- DropIndex
DROP INDEX "Case_tenantId_status_priority_idx";

-- CreateIndex
CREATE INDEX "Case_tenantId_status_priority_assignee_idx" ON "Case"("tenantId", "status", "priority", "assignee");

-- CreateIndex
CREATE INDEX "Deal_tenantId_stage_owner_amount_idx" ON "Deal"("tenantId", "stage", "owner", "amount");
-- The dashboard's cases resolved per day (server/dashboard/metrics/cases.ts), by their resolution
-- time (resolvedAt, else the last change) over resolved and closed cases only. Written by hand:
-- Prisma cannot declare an expression or partial index.
CREATE INDEX "Case_tenantId_resolution_idx" ON "Case"("tenantId", (COALESCE("resolvedAt", "updatedAt"))) WHERE "status" IN ('resolved', 'closed');
