-- CreateIndex
CREATE INDEX "Deal_tenantId_stage_idx" ON "Deal"("tenantId", "stage");

-- The dashboard's cases resolved per day (server/dashboard/metrics/cases.ts), by their resolution
-- time (resolvedAt, else the last change) over resolved and closed cases only. Written by hand:
-- Prisma cannot declare an expression or partial index.
CREATE INDEX "Case_tenantId_resolution_idx" ON "Case"("tenantId", (COALESCE("resolvedAt", "updatedAt"))) WHERE "status" IN ('resolved', 'closed');
