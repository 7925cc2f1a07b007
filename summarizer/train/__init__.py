"""Fine-tuning on labeled samples: `summarizer train topic|noise|summary`. `tasks` reads and
checks the labeled files; `classifier` and `seq2seq` run the Hugging Face Trainer; `common`
holds the options, progress display and the saved run layout. Everything heavy is imported
inside the functions, so importing this package is cheap. Above the pipeline: it may import
`models`, `io`, `evaluate` and everything below; never `cli`.
"""
