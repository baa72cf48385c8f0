from convograph.cli import main

main()
