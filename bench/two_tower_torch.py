"""The two-tower network of HmRec's Training.Gpu written in PyTorch, for a side-by-side training
throughput comparison: same widths, batch norm, ReLU, dropout 0.3, weighted BCE on logits, AdamW
(lr 3e-4, weight decay 2e-4), batch 4096, fp32, generated inputs of the same shape.
Usage: two_tower_torch.py [--device cpu|cuda] [--compile] [--batches N] [--threads N] [--image-dimensions N]
Prints one line: device=... samples_per_second=..."""
import argparse
import time

import torch
from torch import nn


def mlp(inputs, widths, dropout, output_bias):
    layers = []
    for i, width in enumerate(widths):
        last = i == len(widths) - 1
        # As in Training.Gpu: no bias on a linear that feeds a batch norm, directly or (a tower's output)
        # through the fusion's first linear: the norm cancels it.
        layers.append(nn.Linear(inputs, width, bias=last and output_bias))
        if not last:
            layers += [nn.BatchNorm1d(width), nn.ReLU(), nn.Dropout(dropout)]
        inputs = width
    return nn.Sequential(*layers)


class TwoTower(nn.Module):
    def __init__(self, user, item, image, pair, dropout=0.3):
        super().__init__()
        self.user = mlp(user, [256, 128, 128], dropout, False)
        self.item = mlp(item, [256, 128, 128], dropout, False)
        self.image = mlp(image, [256, 128], dropout, False) if image > 0 else None
        fusion = 256 + (128 if image > 0 else 0) + pair
        self.fusion = mlp(fusion, [256, 128, 64, 1], dropout, True)

    def forward(self, u, i, g, p):
        parts = [self.user(u), self.item(i)]
        if self.image is not None:
            parts.append(self.image(g))
        parts.append(p)
        return self.fusion(torch.cat(parts, dim=1)).squeeze(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--user-features", type=int, default=20)
    parser.add_argument("--item-features", type=int, default=24)
    parser.add_argument("--pair-features", type=int, default=46)
    parser.add_argument("--image-dimensions", type=int, default=0)
    a = parser.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    device = torch.device(a.device)
    model = TwoTower(a.user_features, a.item_features, a.image_dimensions, a.pair_features).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=2e-4)
    loss_fn = nn.BCEWithLogitsLoss(reduction="none")
    step = model
    if a.compile:
        step = torch.compile(model)
    rows = a.batch_size * 4
    data = [torch.rand(rows, n, device=device) * 2 - 1 for n in (a.user_features, a.item_features, max(a.image_dimensions, 1), a.pair_features)]
    labels = (torch.arange(rows, device=device) % 11 == 0).float()
    weights = 1 + 9 * labels

    def train(batch):
        lo = (batch % 4) * a.batch_size
        idx = slice(lo, lo + a.batch_size)
        logits = step(data[0][idx], data[1][idx], data[2][idx], data[3][idx])
        loss = (loss_fn(logits, labels[idx]) * weights[idx]).sum() / weights[idx].sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    model.train()
    for b in range(3):
        train(b)
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for b in range(a.batches):
        train(b)
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(f"device={a.device}{'+compile' if a.compile else ''} torch={torch.__version__} threads={torch.get_num_threads()} batch={a.batch_size} steps={a.batches} "
          f"seconds={seconds:.3f} samples_per_second={a.batches * a.batch_size / seconds:.0f}")


if __name__ == "__main__":
    main()
