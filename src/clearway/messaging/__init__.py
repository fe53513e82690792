"""Events out of the system: the transactional outbox, the message-bus port and its adapters, webhooks."""
