"""The consultation assistant: answers customs questions with cited sources and Clearway's own tools."""
