"""Baseline (a): plain Python. Regex sentence split, keyword match by word n-grams, pyarrow Parquet.

    python benches/baselines/regex_pyarrow.py INPUT_DIR OUT.parquet

Prints one JSON line: articles, sentences, text_bytes (title and content, stripped, UTF-8), seconds.
"""

import re
import sys

from common import Writer, articles, keywords, run

# A sentence ends at . ! ? ؟ … (and runs of them) followed by space, or at a line break.
SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+|\s*\n\s*")
WORD = re.compile(r"\w+")


def process(src, out):
    terms = keywords()
    # Multi-word terms by their first word: {first word: longest term starting with it, in words}.
    longest = {}
    for t in terms:
        words = t.split()
        longest[words[0]] = max(longest.get(words[0], 1), len(words))
    writer = Writer(out)
    n_articles = n_bytes = 0
    current = None
    for name, input_, article_id, title, content in articles(src):
        if name != current:
            writer.flush()
            current = name
        n_articles += 1
        n_bytes += len(title.encode()) + len(content.encode())
        sentences = ([title] if title else []) + [s for s in SENTENCE_END.split(content) if s.strip()]
        for index, sentence in enumerate(sentences):
            words = WORD.findall(sentence)
            cues, actors = [], []
            for i, word in enumerate(words):
                for n in range(1, longest.get(word, 0) + 1):
                    if i + n > len(words):
                        break
                    label = terms.get(word if n == 1 else " ".join(words[i : i + n]))
                    if label is None:
                        continue
                    (actors if label.startswith("actor:") else cues).append(label)
            writer.add(article_id, input_, index, sentence, cues, sorted(set(actors)))
    writer.close()
    return {"articles": n_articles, "sentences": writer.rows, "text_bytes": n_bytes}


if __name__ == "__main__":
    run("regex+pyarrow", process, sys.argv)
