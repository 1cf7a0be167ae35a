// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {SmartWallet} from "./SmartWallet.sol";

/// @title SmartWalletFactory
/// @notice TEST FIXTURE: deploys SmartWallets with CREATE2, so a wallet's address is known before
/// it exists and an ERC-6492 signature can carry `deploy(owner, salt)` as its factory calldata.
contract SmartWalletFactory {
    event WalletDeployed(address indexed wallet, address indexed owner, bytes32 salt);

    /// @notice Deploys the wallet for (`owner`, `salt`), or returns it if it already exists, so an
    /// ERC-6492 verifier replaying the factory call never fails on an already deployed wallet.
    function deploy(address owner, bytes32 salt) external returns (address wallet) {
        wallet = getAddress(owner, salt);
        if (wallet.code.length > 0) return wallet;
        new SmartWallet{salt: salt}(owner);
        emit WalletDeployed(wallet, owner, salt);
    }

    /// @notice The address `deploy(owner, salt)` deploys to.
    function getAddress(address owner, bytes32 salt) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(SmartWallet).creationCode, abi.encode(owner)));
        return Create2.computeAddress(salt, initCodeHash);
    }
}
