"""The HTTP shell: problem+json errors, request dependencies, body limits, pages."""
