-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('full', 'read', 'ingest', 'config');

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "scope" "TokenScope" NOT NULL DEFAULT 'full';
