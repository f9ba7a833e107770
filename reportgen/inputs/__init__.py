"""Read survey files: CSV and XLSX exports, survey-tool exports through a mapping; check them."""
