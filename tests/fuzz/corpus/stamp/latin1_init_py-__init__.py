# -*- coding: latin-1 -*-
"""Paquet de démonstration, écrit par José."""
__author__ = "José Núñez"
__version__ = '0.1'
