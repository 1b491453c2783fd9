# SPDX-FileCopyrightText: 2024-present Ada Lovelace <ada@example.invalid>
#
# SPDX-License-Identifier: MIT
__version__ = "0.0.1"
