-- CreateIndex
CREATE INDEX "CaseSla_tenantId_firstResponseDueAt_idx" ON "CaseSla"("tenantId", "firstResponseDueAt");

-- CreateIndex
CREATE INDEX "CaseSla_tenantId_resolutionDueAt_idx" ON "CaseSla"("tenantId", "resolutionDueAt");

-- CreateIndex
CREATE INDEX "CaseSla_tenantId_resolvedAt_idx" ON "CaseSla"("tenantId", "resolvedAt");

-- CreateIndex
CREATE INDEX "InboxMessage_tenantId_receivedAt_idx" ON "InboxMessage"("tenantId", "receivedAt");
