// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721Enumerable} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721Enumerable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title AccessPass
/// @notice An ERC-721 pass that carries prepaid stablecoin credit. Holders (or anyone) top a pass
/// up with `deposit`; the AccessPoint backend meters usage off-chain and periodically deducts it
/// with `settle`, paying the deducted stablecoin to the treasury.
/// @dev Credit belongs to the token, not to the holder: a sold pass takes its credit with it.
/// Amounts are in stablecoin base units; with a 6-decimal stablecoin 1 unit = 1 micro-USD.
/// There is deliberately no way to withdraw credit: it only leaves the contract via `settle`.
/// Inherits `IERC20Errors` only so the ABI decodes the stablecoin's reverts (e.g. a missing allowance
/// on `deposit`) that bubble up through this contract.
contract AccessPass is ERC721Enumerable, AccessControl, ReentrancyGuard, IERC20Errors {
    using SafeERC20 for IERC20;

    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant BILLING_ROLE = keccak256("BILLING_ROLE");

    /// @notice The token credit is paid in.
    IERC20 public immutable stablecoin;

    /// @notice Receives what `settle` deducts.
    address public treasury;

    /// @notice Number of passes minted so far; also the id of the newest pass.
    uint256 public totalMinted;

    mapping(uint256 tokenId => uint256 credit) private _credits;
    mapping(bytes32 batchId => bool settled) private _settledBatches;

    event Deposited(uint256 indexed tokenId, address indexed from, uint256 amount, uint256 newCredit);
    event Settled(bytes32 indexed batchId, uint256 indexed tokenId, uint256 requested, uint256 deducted);
    event Shortfall(bytes32 indexed batchId, uint256 indexed tokenId, uint256 requested, uint256 deducted);
    event BatchSettled(bytes32 indexed batchId, uint256 passCount, uint256 totalDeducted);
    event TreasuryUpdated(address indexed previousTreasury, address indexed newTreasury);

    error ZeroAddress();
    error ZeroAmount();
    error ZeroBatchId();
    error BatchAlreadySettled(bytes32 batchId);
    error LengthMismatch(uint256 tokenIds, uint256 amounts);

    constructor(address admin, IERC20 stablecoin_, address treasury_) ERC721("AccessPoint Pass", "APASS") {
        if (admin == address(0) || address(stablecoin_) == address(0) || treasury_ == address(0)) {
            revert ZeroAddress();
        }
        stablecoin = stablecoin_;
        treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit TreasuryUpdated(address(0), treasury_);
    }

    /// @notice Mints the next pass (ids start at 1) to `to`.
    function mint(address to) external onlyRole(MINTER_ROLE) nonReentrant returns (uint256 tokenId) {
        tokenId = ++totalMinted;
        // Safe mint so a pass never lands in a contract that cannot move it again.
        _safeMint(to, tokenId);
    }

    /// @notice Adds `amount` of stablecoin to the credit of pass `tokenId`; anyone may pay.
    /// @dev The caller must have approved this contract for `amount`.
    function deposit(uint256 tokenId, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _requireOwned(tokenId);
        // Credit what actually arrived, so a token that takes a fee can never leave credit unbacked.
        uint256 balanceBefore = stablecoin.balanceOf(address(this));
        stablecoin.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = stablecoin.balanceOf(address(this)) - balanceBefore;
        if (received == 0) revert ZeroAmount();
        uint256 newCredit = _credits[tokenId] + received;
        _credits[tokenId] = newCredit;
        emit Deposited(tokenId, msg.sender, received, newCredit);
    }

    /// @notice Deducts accrued usage from many passes at once and pays the total to the treasury.
    /// @dev Idempotent by `batchId`: a retried batch reverts instead of deducting twice. A pass
    /// whose credit is short (or that does not exist) gives what it has and emits `Shortfall`
    /// rather than failing the whole batch, so one drained pass cannot block everyone's settlement.
    function settle(bytes32 batchId, uint256[] calldata tokenIds, uint256[] calldata amounts)
        external
        onlyRole(BILLING_ROLE)
        nonReentrant
    {
        if (batchId == bytes32(0)) revert ZeroBatchId();
        if (_settledBatches[batchId]) revert BatchAlreadySettled(batchId);
        if (tokenIds.length != amounts.length) revert LengthMismatch(tokenIds.length, amounts.length);
        _settledBatches[batchId] = true;

        uint256 totalDeducted;
        for (uint256 i; i < tokenIds.length; ++i) {
            uint256 tokenId = tokenIds[i];
            uint256 requested = amounts[i];
            uint256 credit = _credits[tokenId];
            uint256 deducted = requested <= credit ? requested : credit;
            _credits[tokenId] = credit - deducted;
            totalDeducted += deducted;
            if (deducted < requested) emit Shortfall(batchId, tokenId, requested, deducted);
            emit Settled(batchId, tokenId, requested, deducted);
        }

        emit BatchSettled(batchId, tokenIds.length, totalDeducted);
        if (totalDeducted > 0) stablecoin.safeTransfer(treasury, totalDeducted);
    }

    /// @notice Changes where settled funds go.
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTreasury == address(0)) revert ZeroAddress();
        emit TreasuryUpdated(treasury, newTreasury);
        treasury = newTreasury;
    }

    /// @notice Prepaid credit of pass `tokenId` in stablecoin base units (0 if it does not exist).
    function creditOf(uint256 tokenId) external view returns (uint256) {
        return _credits[tokenId];
    }

    /// @notice Every pass `owner` holds, with its credit: what a backend needs to list a wallet's
    /// passes in one call (enumerable, so no event scan).
    function passesOf(address owner) external view returns (uint256[] memory tokenIds, uint256[] memory credits) {
        uint256 count = balanceOf(owner);
        tokenIds = new uint256[](count);
        credits = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            uint256 tokenId = tokenOfOwnerByIndex(owner, i);
            tokenIds[i] = tokenId;
            credits[i] = _credits[tokenId];
        }
    }

    /// @notice Whether `settle` has already used `batchId`.
    function isBatchSettled(bytes32 batchId) external view returns (bool) {
        return _settledBatches[batchId];
    }

    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC721Enumerable, AccessControl)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }
}
