"""The live recogniser: words while the person is still speaking (served to the API by `python -m voyce_ml.live`).

- `agreement`: the local-agreement policy (settle what two consecutive decodes agree on).
- `recogniser`: a rolling audio window re-decoded as audio arrives, trimmed at settled segment ends.
- `decoding`: pcm_s16le and webm_opus (incrementally, through ffmpeg) to 16 kHz float samples.
- `protocol` / `server`: the framed TCP protocol the API relays a WebSocket session over.
"""
