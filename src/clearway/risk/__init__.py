"""Risk selection (the product): criteria and watchlists, the selection policy, the lane selector of filing,
model versions and monitoring; the learned model it serves. How models are trained and studied is in
:mod:`clearway.risk.learning`."""
