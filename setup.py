"""Builds the optional compiled page-view kernel (akhbar._pageview); everything else is in
pyproject.toml. Without Cython or a C compiler the install still succeeds and akhbar.pageview
runs its pure-Python path, which gives the same results."""

from setuptools import setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """A failed build of the kernel is a warning, not a failed install."""

    def run(self):
        try:
            super().run()
        except Exception as err:  # no compiler, no Python headers
            self.warn(f"akhbar._pageview not built ({err}); the pure-Python page view will be used")

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as err:
            self.warn(f"akhbar._pageview not built ({err}); the pure-Python page view will be used")


def extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    from setuptools import Extension
    return cythonize([Extension("akhbar._pageview", ["scripts/akhbar/_pageview.pyx"], optional=True)],
                     language_level=3, quiet=True)


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
