"""Reading the authors' files: terms.yaml, articles and their front matter, and noticing a changed file."""
