package claudecfg
