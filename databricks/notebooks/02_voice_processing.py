# Databricks notebook source
# MAGIC %md
# MAGIC # 02_voice_processing
# MAGIC Transcribe one submission's audio with Whisper (faster-whisper, int8, beam 8, word timestamps, VAD): multilingual base by
# MAGIC default, the language detected unless given; `model` picks another (`tiny.en`, `auto`, or a model folder on the cluster).
# MAGIC All logic lives in the `voyce_ml` package (`databricks/python`), the same code the local jobs runtime runs;
# MAGIC this notebook only reads the parameters and returns the task's JSON as the run output.
# MAGIC
# MAGIC Parameters (strings): `submission_id`, `audio_url` (short-lived read-only SAS URL), `language` (optional, ISO 639-1),
# MAGIC `model` (optional; see voyce_ml/whisper_models.py).

# COMMAND ----------

import json

from voyce_ml import tasks

dbutils.widgets.text("submission_id", "")  # noqa: F821 - dbutils is injected by Databricks
dbutils.widgets.text("audio_url", "")  # noqa: F821
dbutils.widgets.text("language", "")  # noqa: F821
dbutils.widgets.text("model", "")  # noqa: F821

params = {name: dbutils.widgets.get(name) for name in ("submission_id", "audio_url", "language", "model")}  # noqa: F821

# COMMAND ----------

result = tasks.run_task(tasks.VOICE_PROCESSING, params)  # raises on unusable input: the run fails with the error

# COMMAND ----------

dbutils.notebook.exit(json.dumps(result))  # noqa: F821 - read back through runs/get-output notebook_output.result
