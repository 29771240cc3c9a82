#pragma once // expect-folder: folder misc is not in floors.txt
