"""Read tensors from a legacy (pre-zip) PyTorch checkpoint with numpy only, and safely.

Why: the only pretrained speaker encoder whose weights ship inside a registry package
(resemblyzer's GE2E `pretrained.pt`) is stored in the legacy torch format. Loading it with
`pickle` would execute arbitrary globals, and loading it with torch would put torch in the core
install. This reader accepts only the handful of globals a plain state dict needs and rebuilds
every tensor as a numpy array from the raw storages that follow the pickled object.

Legacy layout: pickle(magic) pickle(protocol) pickle(sys_info) pickle(object) pickle(storage keys)
then, per key in that order, int64 element count + raw little-endian data.
"""

from __future__ import annotations

import collections
import pickle
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from humdial.errors import HumdialError

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_DTYPES = {"FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
           "LongStorage": np.int64, "IntStorage": np.int32, "ShortStorage": np.int16,
           "CharStorage": np.int8, "ByteStorage": np.uint8, "BoolStorage": np.bool_}


@dataclass
class _StorageRef:
    key: str
    dtype: type


@dataclass
class _LazyTensor:
    storage: _StorageRef
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


class _StorageType:
    def __init__(self, name: str):
        self.dtype = _DTYPES[name]


def _rebuild_tensor(storage: _StorageRef, offset: int, size: tuple, stride: tuple, *_: Any) -> _LazyTensor:
    return _LazyTensor(storage, int(offset), tuple(size), tuple(stride))


class _SafeUnpickler(pickle.Unpickler):
    """Resolves only the globals of a state dict; anything else is refused (no code execution)."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        if module == "torch._utils" and name in ("_rebuild_tensor_v2", "_rebuild_tensor"):
            return _rebuild_tensor
        if module == "torch" and name in _DTYPES:
            return _StorageType(name)
        raise HumdialError(f"checkpoint refers to {module}.{name}, which a plain state dict never needs")

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise HumdialError(f"unsupported persistent id in checkpoint: {pid!r}")
        storage_type, key = pid[1], str(pid[2])
        return _StorageRef(key, storage_type.dtype)


def _resolve(obj: Any, storages: dict[str, np.ndarray]) -> Any:
    if isinstance(obj, _LazyTensor):
        flat = storages[obj.storage.key]
        item = flat.itemsize
        view = np.lib.stride_tricks.as_strided(flat[obj.offset:], shape=obj.shape,
                                               strides=tuple(s * item for s in obj.stride))
        return np.array(view)  # own copy: contiguous, detached from the storage buffer
    if isinstance(obj, dict):
        return {k: _resolve(v, storages) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_resolve(v, storages) for v in obj)
    return obj


def _read_storages(handle: BinaryIO, keys: list[str], dtypes: dict[str, type]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for key in keys:
        (count,) = struct.unpack("<q", handle.read(8))
        dtype = np.dtype(dtypes.get(key, np.float32))
        raw = handle.read(count * dtype.itemsize)
        if len(raw) != count * dtype.itemsize:
            raise HumdialError(f"checkpoint is truncated in storage {key}")
        out[key] = np.frombuffer(raw, dtype=dtype.newbyteorder("<"))
    return out


def load_legacy_checkpoint(path: str | Path) -> Any:
    """The checkpoint's object with every tensor replaced by a numpy array."""
    path = Path(path)
    with path.open("rb") as handle:
        try:
            magic = pickle.load(handle)
        except Exception as exc:
            raise HumdialError(f"{path} is not a legacy torch checkpoint ({exc})") from exc
        if magic != LEGACY_MAGIC:
            raise HumdialError(f"{path} is not a legacy torch checkpoint (bad magic number)")
        pickle.load(handle)  # protocol version
        info = pickle.load(handle)
        if isinstance(info, dict) and not info.get("little_endian", True):
            raise HumdialError(f"{path} is a big-endian checkpoint; not supported")
        unpickler = _SafeUnpickler(handle)
        refs: dict[str, type] = {}
        original = unpickler.persistent_load

        def tracking(pid: Any) -> Any:
            ref = original(pid)
            refs[ref.key] = ref.dtype
            return ref

        unpickler.persistent_load = tracking  # type: ignore[method-assign]
        obj = unpickler.load()
        keys = [str(k) for k in _SafeUnpickler(handle).load()]
        storages = _read_storages(handle, keys, refs)
    return _resolve(obj, storages)
