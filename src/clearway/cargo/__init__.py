"""Cargo: manifests (적하목록), bonded storage (보세구역) and pre-arrival risk, matched to the
declarations."""
