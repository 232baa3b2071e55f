"""The Flask service: reader pages, the JSON API, the editors' page, the live glossary and the page cache."""
