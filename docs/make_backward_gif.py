"""Make docs/img/backward-pass.gif, the README's picture of the backward pass.

The lecture's sigmoid neuron, one frame of ``viz.backward_steps`` per step
(each frame graphviz-pure's own PNG of the same layout), with the frame's
caption under it in matplotlib's DejaVu Sans (Pillow's own font has no × or —).
Needs matplotlib and Pillow, which the test extra brings:

    .venv/bin/python docs/make_backward_gif.py
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from PIL import Image, ImageDraw, ImageFont

import viz
from autograd import examples

TARGET = Path(__file__).resolve().parent / "img" / "backward-pass.gif"
DPI = 72  # one pixel per point: small, and readable
CAPTION_HEIGHT = 28
STEP_MS, LAST_MS = 1100, 3000  # how long each frame shows, and the finished drawing


def main() -> None:
    f, _ = examples.sigmoid_neuron()
    f.backward()
    steps = viz.backward_steps(f)
    font = ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), 13)
    frames = []
    for k in range(len(steps)):
        picture = Image.open(io.BytesIO(steps.frame(k).png(dpi=DPI))).convert("RGB")
        frame = Image.new("RGB", (picture.width, picture.height + CAPTION_HEIGHT), "white")
        frame.paste(picture, (0, 0))
        ImageDraw.Draw(frame).text((8, picture.height + 6), steps.captions[k], fill="black", font=font)
        frames.append(frame.quantize(colors=32, dither=Image.Dither.NONE))  # few colours: a small file
    durations = [STEP_MS] * (len(frames) - 1) + [LAST_MS]
    frames[0].save(TARGET, save_all=True, append_images=frames[1:], duration=durations, loop=0, optimize=True)
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes, {len(frames)} frames)")


if __name__ == "__main__":
    main()
