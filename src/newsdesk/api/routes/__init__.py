"""The endpoints, one APIRouter per group: page, reading, listings, writing (ingest, jobs, delete)."""
