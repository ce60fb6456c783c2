-- Trigram indexes for the lists' free-text search (decision 029). The extension ships with
-- PostgreSQL's contrib packages, and the embedded database loads it at start (server/db/embedded.ts).
-- Hand-added, as the schema does not declare extensions. (No semicolons in comments here: the
-- migration is split into statements at each one.)
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateTable
CREATE TABLE "ViewIndexUse" (
    "tenantId" TEXT NOT NULL,
    "indexName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ViewIndexUse_pkey" PRIMARY KEY ("tenantId","indexName")
);

-- CreateIndex
CREATE INDEX "ViewIndexUse_indexName_idx" ON "ViewIndexUse"("indexName");

-- CreateIndex
CREATE INDEX "Case_subject_trgm_idx" ON "Case" USING GIN ("subject" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Customer_name_trgm_idx" ON "Customer" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Customer_email_trgm_idx" ON "Customer" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Customer_company_trgm_idx" ON "Customer" USING GIN ("company" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Customer_phone_trgm_idx" ON "Customer" USING GIN ("phone" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Deal_name_trgm_idx" ON "Deal" USING GIN ("name" gin_trgm_ops);
