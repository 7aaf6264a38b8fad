# The program Kaizen evolves: reads one number x per line and prints its prediction of y.
# Only the lines between the EVOLVE-BLOCK markers change; evaluate.sh scores the predictions
# against a curve it does not show. Try editing the block by hand, then run `sh evaluate.sh`.
{
    x = $1 + 0
    # EVOLVE-BLOCK-START
    a = 0.0
    b = 1.0
    c = 0.0
    y = a * x * x + b * x + c
    # EVOLVE-BLOCK-END
    printf "%.12g\n", y
}
