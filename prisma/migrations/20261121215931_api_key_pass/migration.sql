-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "passId" UUID;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "revokedReason" TEXT;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_passId_fkey" FOREIGN KEY ("passId") REFERENCES "Pass"("id") ON DELETE SET NULL ON UPDATE CASCADE;
