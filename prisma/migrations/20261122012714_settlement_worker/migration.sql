-- AlterTable
ALTER TABLE "SettlementBatch" ADD COLUMN     "deductedMicroUsd" BIGINT,
ADD COLUMN     "fromBlock" BIGINT;

-- AlterTable
ALTER TABLE "SettlementItem" ADD COLUMN     "chargesMicroUsd" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "debtMicroUsd" BIGINT NOT NULL DEFAULT 0;
