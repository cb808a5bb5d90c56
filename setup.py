"""Ship the trained models inside the wheel (pyproject.toml holds everything else).

`models/` sits beside the package in the source tree; a wheel built from it would otherwise
carry no model, and `default` would have nothing to load. build_py copies each model folder's
pinned files into `pipeline/shipped_models/`, where pipeline.classify.registry looks last.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODEL_FILES = ("model.skops", "vocabularies.json", "config.json", "manifest.json", "metrics.json", "MODEL_CARD.md")


class BuildPyWithModels(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads models/ from the source tree
        source = Path(__file__).parent / "models"
        target = Path(self.build_lib) / "pipeline" / "shipped_models"
        for model_dir in sorted(source.glob("*/*/")):
            if not (model_dir / "manifest.json").exists():
                continue  # unpinned folders would be refused at load time: don't ship them
            destination = target / model_dir.relative_to(source)
            destination.mkdir(parents=True, exist_ok=True)
            for name in MODEL_FILES:
                if (model_dir / name).exists():
                    shutil.copy2(model_dir / name, destination / name)


setup(cmdclass={"build_py": BuildPyWithModels})
