// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockUSDC
/// @notice DEVELOPMENT AND TESTS ONLY: anyone can mint any amount. Never deploy to a real network;
/// point AccessPass at the real USDC there.
/// @dev 6 decimals like USDC, so 1 unit = 1 micro-USD.
contract MockUSDC is ERC20 {
    constructor() ERC20("Mock USD Coin", "USDC") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` to `to`, unrestricted (dev faucet).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
