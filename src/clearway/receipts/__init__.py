"""Decision receipts: what each filing's duty and lane were computed from, signed; and the replay that checks it."""
