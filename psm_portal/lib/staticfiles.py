"""The static files storage of production: hashed names, compressed copies, and JavaScript modules that
import each other by their hashed names."""

from __future__ import annotations

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage (every file under a name with its hash, served with a far-future ``Cache-Control``,
    with its gzip copy), which also rewrites the ``import … from "./x.js"`` of JavaScript modules.

    The portal loads Bootstrap Italia's components as ES modules (``plugins/*.js``, only those it uses) instead
    of its 1 MB bundle; without the rewriting a module would fetch its imports under their plain names, which
    are served without the long caching."""

    support_js_module_import_aggregation = True


class StaticFilesConfig(BaseStaticFilesConfig):
    """``django.contrib.staticfiles``, leaving out the theme's ``plugins/init.js``: it imports every component
    (the whole library, which the portal does not load) and a ``version.js`` the theme does not ship, which
    would make ``collectstatic`` fail once module imports are rewritten."""

    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "plugins/init.js", "plugins/init.js.map"]
