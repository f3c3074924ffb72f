"""Loads a workbench model file in PyTorch, as a user outside the app would, and scores it.

Usage: python3 loadModel.py MODEL.safetensors CIFAR_BINARY_FILE

Reads the safetensors container by hand (8-byte little-endian header length, JSON header, raw
little-endian data), so it needs only torch and numpy (torch 1.13 has no safetensors support),
builds nn.Sequential(Linear, <activation>, ..., Linear) from the metadata, loads the weights with
strict=True, normalizes the records' pixels with the metadata's constants and prints one JSON object:
{"logits": [[...], ...], "predictions": [...], "accuracy": float, "architecture": str, "count": int}.
"""
import json
import struct
import sys

import numpy as np
import torch
from torch import nn

DTYPES = {"F32": np.float32, "F64": np.float64, "I32": np.int32}
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n :]
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return metadata, tensors


def build(metadata, tensors):
    n_layers = len([k for k in tensors if k.endswith(".weight")])
    modules = []
    for i in range(n_layers):
        fan_out, fan_in = tensors[f"{2 * i}.weight"].shape
        modules.append(nn.Linear(fan_in, fan_out))
        if i + 1 < n_layers:
            modules.append(ACTIVATIONS[metadata["activation"]]())
    model = nn.Sequential(*modules)
    model.load_state_dict(tensors, strict=True)
    return model.eval()


def main():
    model_path, data_path = sys.argv[1], sys.argv[2]
    metadata, tensors = read_safetensors(model_path)
    assert metadata["format"] == "cifar-workbench-mlp", metadata.get("format")
    model = build(metadata, tensors)
    norm = json.loads(metadata["normalization"])
    records = np.fromfile(data_path, dtype=np.uint8).reshape(-1, 3073)
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    # x = byte * scale[c] + shift[c] per colour plane (R, G, B planes of 1,024 pixels each)
    pixels = records[:, 1:].reshape(-1, 3, 1024).astype(np.float32)
    scale = np.array(norm["scale"], dtype=np.float32).reshape(1, 3, 1)
    shift = np.array(norm["shift"], dtype=np.float32).reshape(1, 3, 1)
    x = torch.from_numpy((pixels * scale + shift).reshape(-1, 3072))
    with torch.no_grad():
        logits = model(x)
    predictions = logits.argmax(dim=1)
    print(json.dumps({
        "logits": logits.tolist(),
        "predictions": predictions.tolist(),
        "accuracy": (predictions == labels).double().mean().item(),
        "architecture": str(model),
        "count": int(records.shape[0]),
    }))


if __name__ == "__main__":
    main()
