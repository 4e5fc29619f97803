// Importing this module registers every collector (each file registers itself when loaded).
import "./cpu.js";
import "./diskstats.js";
import "./filesystem.js";
import "./loadavg.js";
import "./memory.js";
import "./netdev.js";
import "./os.js";
import "./textfile.js";
import "./time.js";
