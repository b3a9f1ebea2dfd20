"""Baseline (b): spaCy. blank("ar") + sentencizer + PhraseMatcher, pyarrow Parquet.

    python benches/baselines/spacy_pyarrow.py INPUT_DIR OUT.parquet

Prints one JSON line: articles, sentences, text_bytes (title and content, stripped, UTF-8), seconds.
"""

import sys

import spacy
from spacy.matcher import PhraseMatcher

from common import Writer, articles, keywords, run


def process(src, out):
    nlp = spacy.blank("ar")
    nlp.add_pipe("sentencizer")  # its default punctuation includes ؟ and ۔
    nlp.max_length = 10_000_000
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    by_label = {}
    for term, label in keywords().items():
        by_label.setdefault(label, []).append(term)
    for label, terms in by_label.items():
        matcher.add(label, list(nlp.tokenizer.pipe(terms)))

    writer = Writer(out)
    stats = {"articles": 0, "bytes": 0}
    current = [None]

    def texts():
        for name, input_, article_id, title, content in articles(src):
            if name != current[0]:
                writer.flush()
                current[0] = name
            stats["articles"] += 1
            stats["bytes"] += len(title.encode()) + len(content.encode())
            yield (title + "\n" + content if title else content), (input_, article_id)

    for doc, (input_, article_id) in nlp.pipe(texts(), as_tuples=True, batch_size=64):
        labels = {}
        for match_id, start, _end in matcher(doc):
            labels.setdefault(start, []).append(nlp.vocab.strings[match_id])
        for index, sent in enumerate(s for s in doc.sents if s.text.strip()):
            cues, actors = [], []
            for tok in range(sent.start, sent.end):
                for label in labels.get(tok, ()):
                    (actors if label.startswith("actor:") else cues).append(label)
            writer.add(article_id, input_, index, sent.text.strip(), cues, sorted(set(actors)))
    writer.close()
    return {"articles": stats["articles"], "sentences": writer.rows, "text_bytes": stats["bytes"]}


if __name__ == "__main__":
    run("spaCy+pyarrow", process, sys.argv)
