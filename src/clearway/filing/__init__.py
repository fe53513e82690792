"""The ways a declaration reaches Clearway besides JSON: UN/EDIFACT CUSDEC (answered with CUSRES) and
spreadsheets. Each channel only translates; filing goes through the declaration service."""
