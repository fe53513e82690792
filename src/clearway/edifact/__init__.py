"""UN/EDIFACT syntax shared by every message Clearway reads or writes (CUSCAR, CUSDEC, CUSRES). Pure."""
