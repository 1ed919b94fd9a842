import sys
from pathlib import Path

# the real local OpenAI-compatible test server lives with the judge tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "judge"))
