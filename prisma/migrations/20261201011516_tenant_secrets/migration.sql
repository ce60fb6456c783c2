-- CreateTable
CREATE TABLE "TenantSecret" (
    "tenantId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" VARCHAR(63) NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "iv" BYTEA NOT NULL,
    "authTag" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" TIMESTAMP(3),
    "createdById" TEXT,

    CONSTRAINT "TenantSecret_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TenantSecret_tenantId_name_key" ON "TenantSecret"("tenantId", "name");

-- AddForeignKey
ALTER TABLE "TenantSecret" ADD CONSTRAINT "TenantSecret_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
