// Importing this module registers every collector (each file registers itself when loaded).
import "./conntrack.js";
import "./cpu.js";
import "./diskstats.js";
import "./filefd.js";
import "./filesystem.js";
import "./loadavg.js";
import "./memory.js";
import "./netdev.js";
import "./os.js";
import "./pressure.js";
import "./stat.js";
import "./textfile.js";
import "./time.js";
import "./updates.js";
import "./timex.js";
import "./vmstat.js";
