#!/usr/bin/env python3
"""Writes public/sounds/new-order.wav: the kitchen's new-order chime (two soft bell tones).

Generated rather than downloaded, so the project ships its own asset. Run from the repo root.
"""
import math
import struct
import wave

RATE = 22050


def tone(freq, seconds, volume):
    frames = int(RATE * seconds)
    for n in range(frames):
        t = n / RATE
        envelope = math.exp(-4.0 * t) * min(1.0, n / 200)
        sample = volume * envelope * (math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(2 * math.pi * 2 * freq * t))
        yield max(-1.0, min(1.0, sample))


samples = list(tone(880.0, 0.35, 0.45)) + list(tone(1318.5, 0.65, 0.45))
with wave.open("public/sounds/new-order.wav", "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(RATE)
    out.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))
