"""Runs OpenShot's own FCP7 XML and EDL importers (openshot-qt's classes/importers) on a file,
headless, and prints the clips OpenShot made as JSON.

Everything that reads the file and builds the timeline is OpenShot's: its importer, its project
data store and update manager, libopenshot's reader for each media file. Only the GUI is stood
in for: the Open dialog returns the file, the "find missing file" dialog is answered by adding
the media folder to OpenShot's known paths (what a user pointing it at the folder does), and the
preview window is an inert stand-in (nothing is shown headless). Usage: openshot_import.py xml|edl FILE MEDIA_DIRS FPS_NUM FPS_DEN (MEDIA_DIRS: folders joined by the OS path separator)
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OPENSHOT_QT = os.environ.get("LACUNA_OPENSHOT_QT", "/usr/lib/python3/dist-packages/openshot_qt")
sys.path.insert(0, OPENSHOT_QT)

from PyQt5.QtWidgets import QApplication  # noqa: E402

kind, path, media_dir, fps_num, fps_den = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])


class _Signal:
    def emit(self, *a):
        pass


class _Window:
    refreshFrameSignal = _Signal()

    class propertyTableView:
        @staticmethod
        def select_frame(*a):
            pass

    class preview_thread:
        class player:
            @staticmethod
            def Position():
                return 1


class App(QApplication):
    def __init__(self):
        super().__init__([])
        self._tr = lambda s: s
        from classes import info  # importing it creates OpenShot's user folders (under $HOME)
        from classes.settings import SettingStore
        self._settings = SettingStore(self)
        self._settings.load()
        self.get_settings = lambda: self._settings
        from classes.project_data import ProjectDataStore
        from classes.updates import UpdateManager
        self.window = _Window()
        self.updates = UpdateManager()
        self.project = ProjectDataStore()
        self.updates.reset()
        self.updates.add_listener(self.project)
        self.project.new()
        self.project._data["fps"] = {"num": fps_num, "den": fps_den}


app = App()
from PyQt5 import QtWidgets  # noqa: E402
QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (path, ""))
from windows.views import find_file  # noqa: E402
# The folders a user would point OpenShot at; a file still missing is skipped (the dialog cancelled), never waited on.
find_file.known_paths.extend(media_dir.split(os.pathsep))
find_file.QMessageBox.warning = staticmethod(lambda *a, **k: None)
find_file.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: "")

if kind == "xml":
    from classes.importers import final_cut_pro
    final_cut_pro.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (path, ""))
    final_cut_pro.import_xml()
else:
    from classes.importers import edl
    edl.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (path, ""))
    edl.import_edl()

files = {f["id"]: f.get("path") for f in app.project.get("files")}
layers = {l["number"]: l.get("label") for l in app.project.get("layers")}
clips = [
    {
        "title": c.get("title"),
        "layer": layers.get(c.get("layer")),
        "file": files.get(c.get("file_id")),
        "position": c.get("position"),
        "start": c.get("start"),
        "end": c.get("end"),
    }
    for c in app.project.get("clips")
]
print(json.dumps(clips))
