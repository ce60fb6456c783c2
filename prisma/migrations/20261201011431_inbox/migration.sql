-- CreateTable
CREATE TABLE "InboxThread" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "subjectKey" TEXT NOT NULL DEFAULT '',
    "externalThreadId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "assigneeId" TEXT,
    "caseId" TEXT,
    "messageCount" INTEGER NOT NULL DEFAULT 0,
    "lastMessageAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastInboundAt" TIMESTAMP(3),
    "lastPreview" TEXT NOT NULL DEFAULT '',
    "lastFrom" TEXT NOT NULL DEFAULT '',
    "firstOutboundAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboxThread_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "InboxMessage" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "externalId" TEXT,
    "inReplyTo" TEXT,
    "sender" JSONB NOT NULL DEFAULT '{}',
    "fromLabel" TEXT NOT NULL,
    "recipients" JSONB,
    "subject" TEXT,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "attachments" JSONB NOT NULL DEFAULT '[]',
    "authorUserId" TEXT,
    "authorTokenId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboxMessage_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "InboxRead" (
    "tenantId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboxRead_pkey" PRIMARY KEY ("tenantId","threadId","userId")
);

-- CreateIndex
CREATE INDEX "InboxThread_tenantId_lastMessageAt_id_idx" ON "InboxThread"("tenantId", "lastMessageAt", "id");

-- CreateIndex
CREATE INDEX "InboxThread_tenantId_customerId_channel_subjectKey_lastMess_idx" ON "InboxThread"("tenantId", "customerId", "channel", "subjectKey", "lastMessageAt");

-- CreateIndex
CREATE INDEX "InboxThread_tenantId_caseId_idx" ON "InboxThread"("tenantId", "caseId");

-- CreateIndex
CREATE UNIQUE INDEX "InboxThread_tenantId_channel_externalThreadId_key" ON "InboxThread"("tenantId", "channel", "externalThreadId");

-- CreateIndex
CREATE INDEX "InboxMessage_tenantId_threadId_createdAt_id_idx" ON "InboxMessage"("tenantId", "threadId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "InboxMessage_tenantId_customerId_createdAt_idx" ON "InboxMessage"("tenantId", "customerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxMessage_tenantId_channel_externalId_key" ON "InboxMessage"("tenantId", "channel", "externalId");

-- CreateIndex
CREATE INDEX "InboxRead_tenantId_userId_idx" ON "InboxRead"("tenantId", "userId");

-- AddForeignKey
ALTER TABLE "InboxThread" ADD CONSTRAINT "InboxThread_tenantId_customerId_fkey" FOREIGN KEY ("tenantId", "customerId") REFERENCES "Customer"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboxMessage" ADD CONSTRAINT "InboxMessage_tenantId_threadId_fkey" FOREIGN KEY ("tenantId", "threadId") REFERENCES "InboxThread"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboxMessage" ADD CONSTRAINT "InboxMessage_tenantId_customerId_fkey" FOREIGN KEY ("tenantId", "customerId") REFERENCES "Customer"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Customer matching for ingested messages (server/crm/customer-contacts.ts): by phone digits
-- (email matching uses Customer_tenantId_lower_email_idx from the crm_records migration).
CREATE INDEX "Customer_tenantId_phone_digits_idx" ON "Customer"("tenantId", regexp_replace("phone", '\D', '', 'g'));
