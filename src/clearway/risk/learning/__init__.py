"""Learning under selection: how the risk model learns when only inspected declarations have labels."""
