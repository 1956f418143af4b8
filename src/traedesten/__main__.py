from traedesten.cli import main

main()
