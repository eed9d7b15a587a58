"""Faults from outside the code: what the product does when its surroundings fail."""
import subprocess
import sys

from flows.cli import EXIT_PIPE_CLOSED


def test_a_reader_that_goes_away_stops_the_output_quietly(tmp_path):
    """`newspipe clean FILE --explain | head -1`, for real: a pipe whose reader closes after one
    line, while the command still has far more to print than the pipe holds (64 KB)."""
    page = tmp_path / "long.txt"
    lines = [f"Paragraph {i} of a long article goes on with enough words to be a sentence of its own." for i in range(3000)]
    page.write_text("A long article\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-c", "from flows.cli import main; import sys; sys.exit(main())",
                              "clean", str(page), "--explain"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.readline()                       # the reader takes one line ...
    child.stdout.close()                                 # ... and goes away, as `head -1` does
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) == EXIT_PIPE_CLOSED
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
