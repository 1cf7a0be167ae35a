// Tells React that updates are wrapped in act() here (testing-library does so), which silences
// "The current testing environment is not configured to support act(...)".
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
