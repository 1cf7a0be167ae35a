-- AlterTable
ALTER TABLE "Pass" ADD COLUMN     "heldMicroUsd" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "pendingMicroUsd" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "key" VARCHAR(200) NOT NULL,
    "requestId" VARCHAR(128) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "response" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_requestId_key" ON "IdempotencyRecord"("requestId");

-- CreateIndex
CREATE INDEX "IdempotencyRecord_expiresAt_idx" ON "IdempotencyRecord"("expiresAt");
