-- CreateEnum
CREATE TYPE "LedgerStatus" AS ENUM ('HELD', 'CHARGED', 'RELEASED');

-- CreateEnum
CREATE TYPE "SettlementStatus" AS ENUM ('PENDING', 'SUBMITTED', 'CONFIRMED', 'FAILED');

-- CreateTable
CREATE TABLE "Wallet" (
    "address" VARCHAR(42) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3),

    CONSTRAINT "Wallet_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "SiweNonce" (
    "nonce" VARCHAR(64) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),

    CONSTRAINT "SiweNonce_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "tokenHash" VARCHAR(64) NOT NULL,
    "walletAddress" VARCHAR(42) NOT NULL,
    "chainId" INTEGER NOT NULL,
    "domain" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "siweMessage" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "userAgent" TEXT,
    "ipAddress" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" VARCHAR(32) NOT NULL,
    "keyHash" VARCHAR(64) NOT NULL,
    "scopes" TEXT[],
    "walletAddress" VARCHAR(42) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pass" (
    "id" UUID NOT NULL,
    "chainId" INTEGER NOT NULL,
    "contractAddress" VARCHAR(42) NOT NULL,
    "tokenId" DECIMAL(78,0) NOT NULL,
    "ownerAddress" VARCHAR(42),
    "ownerBlock" BIGINT,
    "creditMicroUsd" BIGINT NOT NULL DEFAULT 0,
    "creditBlock" BIGINT NOT NULL DEFAULT 0,
    "creditSyncedAt" TIMESTAMP(3),
    "debtMicroUsd" BIGINT NOT NULL DEFAULT 0,
    "suspendedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Pass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelPrice" (
    "id" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "inputMicroUsdPerMillionTokens" BIGINT NOT NULL,
    "cachedInputMicroUsdPerMillionTokens" BIGINT NOT NULL,
    "outputMicroUsdPerMillionTokens" BIGINT NOT NULL,
    "effectiveFrom" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelPrice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "requestId" VARCHAR(128) NOT NULL,
    "walletAddress" VARCHAR(42) NOT NULL,
    "passId" UUID,
    "sessionId" UUID,
    "apiKeyId" UUID,
    "model" TEXT NOT NULL,
    "priceId" UUID NOT NULL,
    "status" "LedgerStatus" NOT NULL DEFAULT 'HELD',
    "holdMicroUsd" BIGINT NOT NULL,
    "chargeMicroUsd" BIGINT,
    "inputTokens" INTEGER,
    "cachedInputTokens" INTEGER,
    "outputTokens" INTEGER,
    "stream" BOOLEAN NOT NULL DEFAULT false,
    "aborted" BOOLEAN NOT NULL DEFAULT false,
    "finishReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "holdExpiresAt" TIMESTAMP(3) NOT NULL,
    "capturedAt" TIMESTAMP(3),
    "settlementBatchId" VARCHAR(66),
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("requestId")
);

-- CreateTable
CREATE TABLE "SettlementBatch" (
    "id" VARCHAR(66) NOT NULL,
    "chainId" INTEGER NOT NULL,
    "contractAddress" VARCHAR(42) NOT NULL,
    "status" "SettlementStatus" NOT NULL DEFAULT 'PENDING',
    "totalMicroUsd" BIGINT NOT NULL,
    "passCount" INTEGER NOT NULL,
    "txHash" VARCHAR(66),
    "txNonce" INTEGER,
    "blockNumber" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),

    CONSTRAINT "SettlementBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SettlementItem" (
    "batchId" VARCHAR(66) NOT NULL,
    "passId" UUID NOT NULL,
    "amountMicroUsd" BIGINT NOT NULL,
    "deductedMicroUsd" BIGINT,
    "shortfallMicroUsd" BIGINT,

    CONSTRAINT "SettlementItem_pkey" PRIMARY KEY ("batchId","passId")
);

-- CreateIndex
CREATE INDEX "SiweNonce_expiresAt_idx" ON "SiweNonce"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_walletAddress_idx" ON "Session"("walletAddress");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "ApiKey_walletAddress_idx" ON "ApiKey"("walletAddress");

-- CreateIndex
CREATE INDEX "Pass_ownerAddress_idx" ON "Pass"("ownerAddress");

-- CreateIndex
CREATE UNIQUE INDEX "Pass_chainId_contractAddress_tokenId_key" ON "Pass"("chainId", "contractAddress", "tokenId");

-- CreateIndex
CREATE INDEX "ModelPrice_model_effectiveFrom_idx" ON "ModelPrice"("model", "effectiveFrom" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "ModelPrice_model_version_key" ON "ModelPrice"("model", "version");

-- CreateIndex
CREATE INDEX "LedgerEntry_passId_status_idx" ON "LedgerEntry"("passId", "status");

-- CreateIndex
CREATE INDEX "LedgerEntry_status_settlementBatchId_capturedAt_idx" ON "LedgerEntry"("status", "settlementBatchId", "capturedAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_status_holdExpiresAt_idx" ON "LedgerEntry"("status", "holdExpiresAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_walletAddress_createdAt_idx" ON "LedgerEntry"("walletAddress", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "LedgerEntry_settlementBatchId_idx" ON "LedgerEntry"("settlementBatchId");

-- CreateIndex
CREATE INDEX "SettlementBatch_status_createdAt_idx" ON "SettlementBatch"("status", "createdAt");

-- CreateIndex
CREATE INDEX "SettlementItem_passId_idx" ON "SettlementItem"("passId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_walletAddress_fkey" FOREIGN KEY ("walletAddress") REFERENCES "Wallet"("address") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_walletAddress_fkey" FOREIGN KEY ("walletAddress") REFERENCES "Wallet"("address") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_walletAddress_fkey" FOREIGN KEY ("walletAddress") REFERENCES "Wallet"("address") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_passId_fkey" FOREIGN KEY ("passId") REFERENCES "Pass"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_priceId_fkey" FOREIGN KEY ("priceId") REFERENCES "ModelPrice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_settlementBatchId_fkey" FOREIGN KEY ("settlementBatchId") REFERENCES "SettlementBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SettlementItem" ADD CONSTRAINT "SettlementItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "SettlementBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SettlementItem" ADD CONSTRAINT "SettlementItem_passId_fkey" FOREIGN KEY ("passId") REFERENCES "Pass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
